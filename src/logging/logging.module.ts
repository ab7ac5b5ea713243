import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config.js';
import { logOptions } from './log-options.js';

/**
 * Structured JSON logs (nestjs-pino): every Nest `Logger` call and every HTTP request becomes one JSON
 * line on stdout, with the request's id (`reqId`) or the socket.io connection's (`conn`, see
 * realtime/socket-requests.interceptor.ts), and message text redacted unless LOG_MESSAGE_TEXT is on.
 */
export const LoggingModule = LoggerModule.forRootAsync({
  inject: [AppConfig],
  useFactory: (config: AppConfig) => ({
    pinoHttp: logOptions({ LOG_LEVEL: config.get('LOG_LEVEL'), LOG_MESSAGE_TEXT: config.get('LOG_MESSAGE_TEXT') }),
  }),
});
