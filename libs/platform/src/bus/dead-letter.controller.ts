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
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { DeadLetterNotFound, DeadLetterService, DeadLetterView } from './dead-letter.service';

@ApiTags('operations')
@ApiBearerAuth()
@Roles('admin')
@Controller('admin/dead-letters')
export class DeadLetterController {
  constructor(private readonly deadLetters: DeadLetterService) {}

  @Get()
  list(
    @Query('includeReplayed', new DefaultValuePipe(false), ParseBoolPipe) includeReplayed: boolean,
    @Query('limit', new DefaultValuePipe(100), ParseIntPipe) limit: number,
  ): Promise<DeadLetterView[]> {
    return this.deadLetters.list(includeReplayed, Math.min(Math.max(limit, 1), 1000));
  }

  @Post(':id/replay')
  async replay(@Param('id', ParseUUIDPipe) id: string): Promise<{ result: string }> {
    try {
      return await this.deadLetters.replay(id);
    } catch (e) {
      if (e instanceof DeadLetterNotFound) throw new NotFoundException(`no dead letter ${id}`);
      // Invalid still, or the handler still fails: the letter stays, with the reason.
      throw new UnprocessableEntityException(`still cannot apply: ${(e as Error).message}`);
    }
  }
}
