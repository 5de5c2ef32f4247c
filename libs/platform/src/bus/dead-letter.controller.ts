import {
  Controller,
  DefaultValuePipe,
  Get,
  NotFoundException,
  Param,
  ParseBoolPipe,
  ParseIntPipe,
  ParseUUIDPipe,
  Post,
  Query,
  UnprocessableEntityException,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '../http/openapi';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { districtScope, Principal } from '../auth/principal';
import { DeadLetterNotFound, DeadLetterService, DeadLetterView } from './dead-letter.service';

/** `<prefix>.<district>.<type...>` → the district. */
function districtOfSubject(subject: string): string {
  return subject.split('.')[1] ?? '';
}

@ApiTags('operations')
@ApiBearerAuth()
@Roles('admin')
@Controller('admin/dead-letters')
export class DeadLetterController {
  constructor(private readonly deadLetters: DeadLetterService) {}

  /** A district-scoped administrator sees and replays only letters whose subject names one of their districts. */
  @Get()
  async list(
    @CurrentUser() user: Principal,
    @Query('includeReplayed', new DefaultValuePipe(false), ParseBoolPipe) includeReplayed: boolean,
    @Query('limit', new DefaultValuePipe(100), ParseIntPipe) limit: number,
  ): Promise<DeadLetterView[]> {
    const letters = await this.deadLetters.list(includeReplayed, Math.min(Math.max(limit, 1), 1000));
    const scope = districtScope(user);
    return scope ? letters.filter((l) => scope.includes(districtOfSubject(l.subject))) : letters;
  }

  @Post(':id/replay')
  async replay(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<{ result: string }> {
    const scope = districtScope(user);
    if (scope) {
      const subject = await this.deadLetters.subjectOf(id);
      if (!subject || !scope.includes(districtOfSubject(subject))) throw new NotFoundException(`no dead letter ${id}`);
    }
    try {
      return await this.deadLetters.replay(id);
    } catch (e) {
      if (e instanceof DeadLetterNotFound) throw new NotFoundException(`no dead letter ${id}`);
      // Invalid still, or the handler still fails: the letter stays, with the reason.
      throw new UnprocessableEntityException(`still cannot apply: ${(e as Error).message}`);
    }
  }
}
