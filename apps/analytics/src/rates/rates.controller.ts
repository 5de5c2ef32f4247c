import { CurrentUser, Principal, Roles, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@app/platform';
import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  BreakdownQuery,
  BreakdownView,
  FigureOrdersQuery,
  FigureOrdersView,
  RankingQuery,
  RankingView,
  RatesQuery,
  RatesView,
  TopProblem,
  TopProblemsQuery,
  TrendQuery,
  TrendView,
  UnitParam,
} from './rates.dto';
import { RatesService } from './rates.service';

@ApiTags('rates 三率')
@ApiBearerAuth()
@Controller()
export class RatesController {
  constructor(private readonly rates: RatesService) {}

  @Get('rates')
  @Roles('analyst', 'supervisor', 'dispatcher')
  @ApiOperation({ summary: '响应率、解决率、满意率 The rates and volumes for a period and district (from the daily rollup)' })
  @ApiOkResponse({ type: RatesView })
  get(@CurrentUser() user: Principal, @Query() q: RatesQuery): Promise<RatesView> {
    return this.rates.compute(user, q);
  }

  @Get('rates/breakdown')
  @Roles('analyst', 'supervisor', 'dispatcher')
  @ApiOperation({ summary: '分维度统计 The rates per district, street, unit, category, channel or request type' })
  @ApiOkResponse({ type: BreakdownView })
  breakdown(@CurrentUser() user: Principal, @Query() q: BreakdownQuery): Promise<BreakdownView> {
    return this.rates.breakdown(user, q);
  }

  @Get('rates/trend')
  @Roles('analyst', 'supervisor', 'dispatcher')
  @ApiOperation({ summary: '走势 The rates and volumes per day, week or month of a period (from the daily rollup)' })
  @ApiOkResponse({ type: TrendView })
  trend(@CurrentUser() user: Principal, @Query() q: TrendQuery): Promise<TrendView> {
    return this.rates.trend(user, q);
  }

  @Get('rates/orders')
  @Roles('analyst', 'supervisor', 'dispatcher')
  @ApiOperation({
    summary:
      '下钻到工单 The orders behind a figure (a rate’s denominator or a volume) in a district, street or unit, with the callback’s answers and comment',
  })
  @ApiOkResponse({ type: FigureOrdersView })
  orders(@CurrentUser() user: Principal, @Query() q: FigureOrdersQuery): Promise<FigureOrdersView> {
    return this.rates.ordersBehind(user, q);
  }

  @Get('rankings/monthly')
  @Roles('analyst', 'supervisor', 'dispatcher')
  @ApiOperation({ summary: '月评比 Monthly ranking of units or streets by composite score, with the red and black lists' })
  @ApiOkResponse({ type: RankingView })
  ranking(@CurrentUser() user: Principal, @Query() q: RankingQuery): Promise<RankingView> {
    return this.rates.ranking(user, q);
  }

  @Get('units/:unitId/top-problems')
  @ApiParam({ name: 'unitId', format: 'uuid' })
  @Roles('analyst', 'supervisor', 'dispatcher', 'unit_head')
  @ApiOperation({ summary: '举一反三 A unit’s most frequent problems in a period' })
  @ApiOkResponse({ type: [TopProblem] })
  topProblems(@CurrentUser() user: Principal, @Param() p: UnitParam, @Query() q: TopProblemsQuery): Promise<TopProblem[]> {
    return this.rates.topProblems(user, p.unitId, q);
  }
}
