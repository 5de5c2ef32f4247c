import { CurrentUser, Principal, Roles } from '@app/platform';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RatesQuery, RatesView } from './rates.dto';
import { RatesService } from './rates.service';

@ApiTags('rates 三率')
@ApiBearerAuth()
@Controller('rates')
export class RatesController {
  constructor(private readonly rates: RatesService) {}

  @Get()
  @Roles('analyst', 'supervisor', 'dispatcher')
  @ApiOperation({ summary: '响应率、解决率、满意率 The three rates and volumes for a period and district' })
  get(@CurrentUser() user: Principal, @Query() q: RatesQuery): Promise<RatesView> {
    return this.rates.compute(user, q);
  }
}
