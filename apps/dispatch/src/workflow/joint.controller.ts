import { CurrentUser, Principal, Roles, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@app/platform';
import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CoAssignmentView } from './order.view';
import { CoAssignment } from './co-assignment.entity';
import { JointService } from './joint.service';
import { CoPartDto, CoUnitsDto } from './workflow.dto';

/** 吹哨报到: co-units of a joint handling. */
@ApiTags('orders 联合处置')
@ApiBearerAuth()
@Controller('orders')
export class JointController {
  constructor(private readonly joint: JointService) {}

  @Post(':ticketId/co-units')
  @HttpCode(200)
  @Roles('dispatcher', 'unit_head')
  @ApiOperation({ summary: '吹哨报到 Call co-units to the order (the dispatcher, or the lead unit’s head)' })
  @ApiOkResponse({ type: [CoAssignmentView] })
  add(@CurrentUser() user: Principal, @Param('ticketId', ParseUUIDPipe) id: string, @Body() dto: CoUnitsDto): Promise<CoAssignment[]> {
    return this.joint.addCoUnits(user, id, dto);
  }

  @Post(':ticketId/co-sign')
  @HttpCode(200)
  @Roles('handler', 'unit_head')
  @ApiOperation({ summary: '协办签收 Sign as a co-unit' })
  @ApiOkResponse({ type: CoAssignmentView })
  sign(@CurrentUser() user: Principal, @Param('ticketId', ParseUUIDPipe) id: string): Promise<CoAssignment> {
    return this.joint.coSign(user, id);
  }

  @Post(':ticketId/co-submit')
  @HttpCode(200)
  @Roles('handler', 'unit_head')
  @ApiOperation({ summary: '协办反馈 Submit the co-unit’s part' })
  @ApiOkResponse({ type: CoAssignmentView })
  submit(@CurrentUser() user: Principal, @Param('ticketId', ParseUUIDPipe) id: string, @Body() dto: CoPartDto): Promise<CoAssignment> {
    return this.joint.coSubmit(user, id, dto);
  }
}
