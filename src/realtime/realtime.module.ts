import { Global, Module } from '@nestjs/common';
import { ConnectionGate } from './connection-gate.js';
import { RealtimeServer } from './realtime-server.js';

/** The socket.io server's shared pieces: who may connect, and the server itself for counts and shutdown. */
@Global()
@Module({ providers: [ConnectionGate, RealtimeServer], exports: [ConnectionGate, RealtimeServer] })
export class RealtimeModule {}
