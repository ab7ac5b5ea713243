import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { resolveFromRoot } from '../paths.js';
import { Lexicon, loadLexiconFiles } from './lexicon.js';
import { SafetyScreen, type ConversationRisk, type SafetyDecision } from './screen.js';

/**
 * The safety screen as a service. The lexicons load once at start-up, and start-up fails when any rule
 * does not catch its own example: a broken lexicon must never run silently.
 */
@Injectable()
export class SafetyService {
  private readonly logger = new Logger(SafetyService.name);
  private readonly screener: SafetyScreen;

  constructor(@Inject(AppConfig) config: AppConfig) {
    const lexicon = new Lexicon(loadLexiconFiles(resolveFromRoot(`${config.get('KNOWLEDGE_DIR')}/safety`)));
    const failures = lexicon.selfCheck();
    if (failures.length) throw new Error(`The safety lexicon fails its own examples:\n  ${failures.join('\n  ')}`);
    this.screener = new SafetyScreen(lexicon);
    this.logger.log('Safety lexicons loaded and self-checked');
  }

  screen(text: string, conversation: ConversationRisk): SafetyDecision {
    return this.screener.screen(text, conversation);
  }
}
