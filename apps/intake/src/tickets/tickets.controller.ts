import { CurrentUser, districtScope, Principal, Roles, ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@app/platform';
import {
  Body,
  Controller,
  DefaultValuePipe,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseIntPipe,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { Response } from 'express';
import { AssistDto, CreateTicketDto, RevealRequestDto } from './create-ticket.dto';
import { idempotencyOf } from './idempotency';
import { SubmissionResult, SubmissionService } from './submission.service';
import { TicketView } from './ticket.view';
import { SearchTicketsQuery } from './search-tickets.dto';
import { AssistView, RevealView, TicketPage, TicketsService } from './tickets.service';

@ApiTags('tickets 工单')
@ApiBearerAuth()
@Controller('tickets')
export class TicketsController {
  constructor(
    private readonly tickets: TicketsService,
    private readonly submissions: SubmissionService,
  ) {}

  @Post()
  @Roles('operator')
  @ApiOperation({ summary: '受理工单 Record a contact: an order, a merge, a first-contact answer or a refusal' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the same order' })
  async create(
    @CurrentUser() user: Principal,
    @Body() dto: CreateTicketDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TicketView & { statusToken: string }> {
    const r: SubmissionResult = await this.submissions.submit(
      { id: user.id, districts: districtScope(user), staff: true },
      dto,
      idempotencyOf(key, dto),
    );
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return { ...r.ticket, statusToken: r.statusToken };
  }

  @Post('assist')
  @HttpCode(200)
  @Roles('operator')
  @ApiOperation({ summary: '智能辅助 Suggested category/type/urgency, place, duplicates to merge, earlier calls, articles' })
  assist(@CurrentUser() user: Principal, @Body() dto: AssistDto): Promise<AssistView> {
    return this.tickets.assist(user, dto);
  }

  @Get()
  @Roles('operator', 'dispatcher', 'supervisor', 'analyst')
  list(
    @CurrentUser() user: Principal,
    @Query('districtCode') districtCode?: string,
    @Query('limit', new DefaultValuePipe(50), ParseIntPipe) limit = 50,
  ): Promise<TicketView[]> {
    return this.tickets.list(user, districtCode, Math.min(Math.max(limit, 1), 500));
  }

  @Get('search')
  @Roles('operator', 'dispatcher', 'supervisor', 'analyst')
  @ApiOperation({ summary: '工单查询 Search orders by number, phone, words of the content, dates, state, district (paged)' })
  search(@CurrentUser() user: Principal, @Query() q: SearchTicketsQuery): Promise<TicketPage> {
    return this.tickets.search(user, q);
  }

  @Get(':id/reveals')
  @Roles('supervisor')
  @ApiOperation({ summary: '联系方式查看记录 Who revealed this citizen’s contact, when and why' })
  reveals(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<RevealView[]> {
    return this.tickets.reveals(user, id);
  }

  @Post(':id/reveal')
  @HttpCode(200)
  @Roles('dispatcher', 'supervisor', 'handler', 'unit_head')
  @ApiOperation({ summary: '查看联系方式 Reveal the citizen’s name and phone to call them (audited)' })
  reveal(
    @CurrentUser() user: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RevealRequestDto,
  ): Promise<{ name: string | null; phone: string }> {
    return this.tickets.revealForUser(user, id, dto.purpose);
  }

  @Get(':id')
  @Roles('operator', 'dispatcher', 'supervisor', 'analyst')
  get(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<TicketView> {
    return this.tickets.get(user, id);
  }
}
