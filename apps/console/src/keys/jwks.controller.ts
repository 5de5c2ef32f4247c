import { Public, ApiOperation, ApiTags } from '@app/platform';
import { Controller, Get, Header } from '@nestjs/common';
import { PublicJwk, SigningKeys } from './signing-keys';

@ApiTags('keys 密钥')
@Public()
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: SigningKeys) {}

  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: '服务令牌公钥 The public keys of the service tokens (current and, during a rotation, the next/previous)' })
  jwks(): { keys: PublicJwk[] } {
    return this.keys.jwks();
  }
}
