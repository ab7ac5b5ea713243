import { existsSync } from 'node:fs';
import path from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { KnowledgeService } from '../knowledge/knowledge.service.js';
import { resolveFromRoot } from '../paths.js';
import { CrisisClassifier } from './classifier.js';
import { Lexicon, loadLexiconFiles, loadNearWords } from './grammar.js';
import { SafetyScreen, type ConversationRisk, type SafetyDecision } from './screen.js';

/** Builds the screen from a safety folder: lexicons, the protected near-words, the classifier. */
export function loadScreen(dir: string): SafetyScreen {
  const lexicon = new Lexicon(loadLexiconFiles(dir), loadNearWords(dir));
  const failures = lexicon.selfCheck();
  if (failures.length) throw new Error(`The safety lexicon fails its own examples:\n  ${failures.join('\n  ')}`);
  const file = path.join(dir, 'classifier.json');
  const classifier = existsSync(file) ? CrisisClassifier.load(file) : null;
  return new SafetyScreen(lexicon, classifier, classifier?.thresholds);
}

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
    this.screener = loadScreen(this.dir);
    this.logger.log('Safety lexicons and classifier loaded and self-checked');
    knowledge.addCompanion('Safety lexicons', () => {
      this.screener = loadScreen(this.dir);
      this.logger.log('Safety lexicons reloaded and self-checked');
    });
  }

  screen(text: string, conversation: ConversationRisk): SafetyDecision {
    return this.screener.screen(text, conversation);
  }
}
