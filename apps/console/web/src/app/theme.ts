import type { ThemeConfig } from 'antd';

/**
 * Colours chosen for WCAG AA (4.5:1) on white: the primary blue #0a58ca (6.6:1), body text #1f1f1f,
 * secondary text #595959 (7:1). Focus rings are drawn by global.css, not left to the browser default.
 */
export const theme: ThemeConfig = {
  zeroRuntime: true,
  token: {
    colorPrimary: '#0a58ca',
    colorLink: '#0a58ca',
    colorText: '#1f1f1f',
    colorTextSecondary: '#595959',
    colorTextDescription: '#595959',
    colorError: '#c41d1d',
    colorWarning: '#ad6800',
    colorSuccess: '#237804',
    fontSize: 14,
    borderRadius: 4,
    fontFamily:
      "-apple-system, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', sans-serif",
  },
  components: {
    Layout: { siderBg: '#001529', headerBg: '#ffffff', headerPadding: '0 16px', headerHeight: 48 },
    Menu: { darkItemBg: '#001529', darkSubMenuItemBg: '#000c17', darkItemColor: 'rgba(255,255,255,0.85)' },
  },
};
