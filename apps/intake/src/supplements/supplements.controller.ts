import { CurrentUser, Principal, Roles, ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@app/platform';
import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { Response } from 'express';
import { idempotencyOf } from '../tickets/idempotency';
import { CreateSupplementDto } from './supplements.dto';
import { SupplementsService, SupplementView } from './supplements.service';

@ApiTags('tickets 工单')
@ApiBearerAuth()
@Controller('tickets/:id/supplements')
export class SupplementsController {
  constructor(private readonly supplements: SupplementsService) {}

  @Post()
  @Roles('operator')
  @ApiOperation({ summary: '补充诉求 Record what the citizen adds to an order (publishes ticket.supplemented.v1)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the same supplement' })
  async add(
    @CurrentUser() user: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CreateSupplementDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SupplementView> {
    const r = await this.supplements.add(user, id, dto.text, idempotencyOf(key, dto));
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return r.supplement;
  }

  @Get()
  @Roles('operator', 'dispatcher', 'supervisor', 'analyst')
  @ApiOperation({ summary: '补充诉求列表 What the citizen added to an order, oldest first' })
  list(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<SupplementView[]> {
    return this.supplements.list(user, id);
  }
}
