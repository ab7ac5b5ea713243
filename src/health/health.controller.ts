import { Controller, Get, Inject } from '@nestjs/common';
import { KnowledgeService } from '../knowledge/knowledge.service.js';

@Controller('health')
export class HealthController {
  constructor(@Inject(KnowledgeService) private readonly knowledge: KnowledgeService) {}

  @Get()
  health() {
    const corpus = this.knowledge.current;
    return {
      status: 'ok',
      corpus: {
        version: corpus.version,
        entries: corpus.entries.length,
        overdueReviews: corpus.warnings.filter((w) => w.field === 'reviewBy').length,
      },
    };
  }
}
