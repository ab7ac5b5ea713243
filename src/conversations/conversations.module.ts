import { Module } from '@nestjs/common';
import { ConversationsRepository } from './conversations.repository.js';
import { ConversationsService } from './conversations.service.js';

@Module({ providers: [ConversationsService, ConversationsRepository], exports: [ConversationsService] })
export class ConversationsModule {}
