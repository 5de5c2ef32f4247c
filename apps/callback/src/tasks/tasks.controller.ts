import { CurrentUser, Principal, Roles, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@app/platform';
import { Body, Controller, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { SentLink, SurveyService } from '../survey/survey.service';
import { CallbackTask } from './callback-task.entity';
import { AttemptDto, CompleteDto, ListTasksQuery } from './tasks.dto';
import { TaskDetail, TasksService, TaskView } from './tasks.service';
import { CallbackTaskView, SentLinkView, TaskContactView, TaskDetailView, TaskListView } from './tasks.view';

/**
 * The callback queues. Callback agents work `reply` and `first_contact` tasks; supervisors work
 * `spot_check` tasks (抽查回访). Every write checks the team, the district and who holds the task.
 */
@ApiTags('callback 回访')
@ApiBearerAuth()
@Controller('tasks')
export class TasksController {
  constructor(
    private readonly tasks: TasksService,
    private readonly survey: SurveyService,
  ) {}

  @Get()
  @Roles('callback_agent', 'supervisor', 'analyst')
  @ApiOperation({ summary: '回访任务 Callback queue' })
  @ApiOkResponse({ type: [TaskListView] })
  list(@CurrentUser() user: Principal, @Query() q: ListTasksQuery): Promise<TaskView[]> {
    return this.tasks.list(user, q);
  }

  @Post('next')
  @HttpCode(200)
  @Roles('callback_agent', 'supervisor')
  @ApiOperation({ summary: '领取下一个 Claim the next due task of your team (404 when the queue is empty)' })
  @ApiOkResponse({ type: CallbackTaskView })
  async next(@CurrentUser() user: Principal): Promise<CallbackTask> {
    const t = await this.tasks.claimNext(user);
    if (!t) throw new NotFoundException('no callback task is waiting for your team');
    return t;
  }

  @Get(':id')
  @Roles('callback_agent', 'supervisor', 'analyst')
  @ApiOperation({ summary: '回访任务详情 One task: the order number, the reply as the citizen heard it, the attempts' })
  @ApiOkResponse({ type: TaskDetailView })
  get(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<TaskDetail> {
    return this.tasks.detail(user, id);
  }

  @Post(':id/claim')
  @HttpCode(200)
  @Roles('callback_agent', 'supervisor')
  @ApiOperation({ summary: '领取 Claim the task' })
  @ApiOkResponse({ type: CallbackTaskView })
  claim(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<CallbackTask> {
    return this.tasks.claim(user, id);
  }

  @Post(':id/release')
  @HttpCode(200)
  @Roles('callback_agent', 'supervisor')
  @ApiOkResponse({ type: CallbackTaskView })
  release(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<CallbackTask> {
    return this.tasks.release(user, id);
  }

  @Get(':id/contact')
  @Roles('callback_agent', 'supervisor')
  @ApiOperation({ summary: '查看诉求人联系方式 Reveal the citizen contact (audited in intake)' })
  @ApiOkResponse({ type: TaskContactView })
  contact(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<{ name: string | null; phone: string | null }> {
    return this.tasks.contact(user, id);
  }

  @Post(':id/attempts')
  @HttpCode(200)
  @Roles('callback_agent', 'supervisor')
  @ApiOperation({ summary: '记录未接通 Record a failed attempt' })
  @ApiOkResponse({ type: CallbackTaskView })
  attempt(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: AttemptDto): Promise<CallbackTask> {
    return this.tasks.attempt(user, id, dto);
  }

  @Post(':id/complete')
  @HttpCode(200)
  @Roles('callback_agent', 'supervisor')
  @ApiOperation({ summary: '回访结果 Record the answers' })
  @ApiOkResponse({ type: CallbackTaskView })
  complete(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: CompleteDto): Promise<CallbackTask> {
    return this.tasks.complete(user, id, dto);
  }

  @Post(':id/sms')
  @HttpCode(200)
  @Roles('callback_agent', 'supervisor')
  @ApiOperation({ summary: '发送短信评价链接 Text the citizen a one-time survey link (the link is never shown to staff)' })
  @ApiOkResponse({ type: SentLinkView })
  sms(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<SentLink> {
    return this.survey.sendLink(user, id);
  }
}
