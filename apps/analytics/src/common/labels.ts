import { categoryName, CategoryNames, NotAcceptedReason } from '@app/contracts';

/**
 * zh-CN labels for reports and the wall (categories: the administrators' names, then the shared catalogue's). Codes the table does not
 * know are shown as they are; an empty key (not known yet) is 未知.
 */
export const DISTRICT_ZH: Record<string, string> = {
  '630100': '西宁市',
  '630102': '城东区',
  '630103': '城中区',
  '630104': '城西区',
  '630105': '城北区',
  '630106': '湟中区',
  '630121': '大通回族土族自治县',
  '630123': '湟源县',
};

export const CHANNEL_ZH: Record<string, string> = {
  phone_12345: '12345热线',
  web: '网站/APP',
  mayor_mailbox: '市长信箱',
  online_opinion: '网络舆情',
  media: '媒体',
  grid_worker: '网格员',
  video_patrol: '视频巡查',
  problem_wall: '问题墙',
  walk_in: '来访',
  open311: 'Open311',
};

export const REQUEST_TYPE_ZH: Record<string, string> = {
  complaint: '投诉',
  help: '求助',
  inquiry: '咨询',
  suggestion: '建议',
  report: '举报',
  praise: '表扬',
};

/** 不予受理: the matters the statutes keep from the hotline, as a report names them. */
export const NOT_ACCEPTED_REASON_ZH: Record<NotAcceptedReason, string> = {
  [NotAcceptedReason.Litigation]: '诉讼程序中',
  [NotAcceptedReason.Arbitration]: '仲裁程序中',
  [NotAcceptedReason.AdministrativeReview]: '行政复议程序中',
  [NotAcceptedReason.Petition]: '信访程序中',
  [NotAcceptedReason.Concluded]: '已依法办结',
};

export function labelOf(table: Record<string, string>, code: string): string {
  if (!code) return '未知';
  return table[code] ?? table[code.split('.')[0]] ?? code;
}

/**
 * A category's name as the console and notify show it (`categoryName`, libs/contracts): the nearest
 * of the code and its ancestors that has a name, an administrator's (`maintained`, from
 * `category.changed.v1`, CategoryNamesRepository.namesFor) before the catalogue's at each level; a
 * code nothing names as it is; none, 未知.
 */
export function categoryZh(code: string | null, maintained: ReadonlyMap<string, CategoryNames>): string {
  if (!code) return '未知';
  return categoryName(code, maintained)?.zh ?? code;
}
