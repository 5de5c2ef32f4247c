/** Every time on screen is in the city's zone (Asia/Shanghai), whatever the PC's clock says. */
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import 'dayjs/locale/zh-cn';

dayjs.extend(utc);
dayjs.extend(timezone);

export const CITY_TZ = 'Asia/Shanghai';

export function setDayjsLanguage(language: string): void {
  dayjs.locale(language === 'en' ? 'en' : 'zh-cn');
}

/**
 * Asia/Shanghai has kept UTC+8 without daylight saving since 1991, so a fixed offset gives the city's
 * wall time. dayjs's tz() would build an Intl formatter on every call: in a profile of the 500-row
 * worklist it was the largest single cost of drawing the countdowns.
 */
const CITY_OFFSET_MINUTES = 8 * 60;

export function cityTime(value: string | Date | null | undefined, format = 'YYYY-MM-DD HH:mm'): string {
  if (!value) return '';
  return dayjs(value).utcOffset(CITY_OFFSET_MINUTES).format(format);
}

/** Start / end of a city day as ISO instants, for date-range filters. */
export function cityDayStart(date: string): string {
  return dayjs.tz(date, CITY_TZ).startOf('day').toISOString();
}

export function cityDayEnd(date: string): string {
  return dayjs.tz(date, CITY_TZ).endOf('day').toISOString();
}

export { dayjs };
