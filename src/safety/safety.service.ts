import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { KnowledgeService } from '../knowledge/knowledge.service.js';
import { resolveFromRoot } from '../paths.js';
import { Lexicon, loadLexiconFiles } from './lexicon.js';
import { SafetyScreen, type ConversationRisk, type SafetyDecision } from './screen.js';

/**
 * The safety screen as a service. The lexicons load at start-up, and start-up fails when any rule does
 * not catch its own example: a broken lexicon must never run silently. They reload with the corpus
 * (SIGHUP, KNOWLEDGE_WATCH): an invalid version is refused and the live one kept.
 */
@Injectable()
export class SafetyService {
  private readonly logger = new Logger(SafetyService.name);
  private screener: SafetyScreen;
  private readonly dir: string;

  constructor(@Inject(AppConfig) config: AppConfig, @Inject(KnowledgeService) knowledge: KnowledgeService) {
    this.dir = resolveFromRoot(`${config.get('KNOWLEDGE_DIR')}/safety`);
    this.screener = this.load();
    this.logger.log('Safety lexicons loaded and self-checked');
    knowledge.addCompanion('Safety lexicons', () => {
      this.screener = this.load();
      this.logger.log('Safety lexicons reloaded and self-checked');
    });
  }

  private load(): SafetyScreen {
    const lexicon = new Lexicon(loadLexiconFiles(this.dir));
    const failures = lexicon.selfCheck();
    if (failures.length) throw new Error(`The safety lexicon fails its own examples:\n  ${failures.join('\n  ')}`);
    return new SafetyScreen(lexicon);
  }

  screen(text: string, conversation: ConversationRisk): SafetyDecision {
    return this.screener.screen(text, conversation);
  }
}
