import { BadRequestException, NotFoundException, PayloadTooLargeException, UnauthorizedException } from '@nestjs/common';
import { errorBody } from './error-codes.filter.js';

describe('errorBody', () => {
  it('keeps a body that already has a code', () => {
    const body = { error: { code: 'unauthorized', message: 'Sign in first.' } };
    expect(errorBody(401, new UnauthorizedException(body).getResponse())).toEqual(body);
  });

  it("gives Nest's own errors a code by their status", () => {
    expect(errorBody(404, new NotFoundException('Cannot GET /api/nope').getResponse())).toEqual({
      error: { code: 'not_found', message: 'Cannot GET /api/nope' },
    });
    expect(errorBody(413, new PayloadTooLargeException().getResponse())).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(errorBody(400, new BadRequestException(['a', 'b']).getResponse())).toEqual({ error: { code: 'invalid_request', message: 'a; b' } });
    expect(errorBody(418, 'teapot')).toEqual({ error: { code: 'invalid_request', message: 'teapot' } });
    expect(errorBody(503, {})).toMatchObject({ error: { code: 'internal_error' } });
  });

  it("says plainly that a body is not JSON, without quoting the parser's message", () => {
    const parse = new SyntaxError('Unexpected token \'<\', "<img/src/"... is not valid JSON');
    const exception = new BadRequestException(parse.message, { cause: parse });
    expect(errorBody(400, exception.getResponse(), exception.cause)).toEqual({
      error: { code: 'invalid_json', message: 'The request body is not valid JSON.' },
    });
  });
});
