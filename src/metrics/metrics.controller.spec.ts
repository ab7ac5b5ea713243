import { NotFoundException, UnauthorizedException } from '@nestjs/common';
import type { Response } from 'express';
import type { AppConfig } from '../config/app-config.js';
import type { Metrics } from './metrics.js';
import { MetricsController } from './metrics.controller.js';

const registry = { contentType: 'text/plain', metrics: async () => 'kap_open_flags 0\n' };
const controller = (token: string | undefined) =>
  new MetricsController({ registry } as unknown as Metrics, { get: () => token } as unknown as AppConfig);
const response = () => {
  const sent: string[] = [];
  const res = { setHeader: () => undefined, send: (body: string) => sent.push(body) } as unknown as Response;
  return { res, sent };
};

describe('MetricsController', () => {
  it('does not exist without METRICS_TOKEN', async () => {
    await expect(controller(undefined).scrape('Bearer anything', response().res)).rejects.toBeInstanceOf(NotFoundException);
  });

  it('wants the exact bearer token', async () => {
    const c = controller('0123456789abcdef');
    await expect(c.scrape(undefined, response().res)).rejects.toBeInstanceOf(UnauthorizedException);
    await expect(c.scrape('Bearer 0123456789abcdeF', response().res)).rejects.toBeInstanceOf(UnauthorizedException);
    await expect(c.scrape('Basic 0123456789abcdef', response().res)).rejects.toBeInstanceOf(UnauthorizedException);
    const { res, sent } = response();
    await c.scrape('Bearer 0123456789abcdef', res);
    expect(sent).toEqual(['kap_open_flags 0\n']);
  });
});
