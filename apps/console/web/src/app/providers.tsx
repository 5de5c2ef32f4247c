import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider, theme as antdTheme } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { useEffect, useState, type ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { ApiError } from '../api/http';
import i18n, { antdEnglish } from '../i18n';
import { setDayjsLanguage } from './time';
import { theme } from './theme';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      refetchOnWindowFocus: false,
      // A refusal is an answer, not a glitch: retry only what may pass on a second try.
      retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status < 500),
    },
  },
});

function useLanguage(): string {
  const [language, setLanguage] = useState(i18n.language);
  useEffect(() => {
    const on = (l: string) => setLanguage(l);
    i18n.on('languageChanged', on);
    return () => i18n.off('languageChanged', on);
  }, []);
  useEffect(() => {
    setDayjsLanguage(language);
    document.documentElement.lang = language;
  }, [language]);
  return language;
}

/**
 * The theme's text colour, font and size for everything inside, as Ant Design's App component gives
 * them, without App itself (its modal, message and notification hooks, unused here, weigh ~20 KB gzipped).
 */
function Typeface({ children }: { children: ReactNode }) {
  const { token } = antdTheme.useToken();
  return (
    <div
      style={{
        color: token.colorText,
        fontFamily: token.fontFamily,
        fontSize: token.fontSize,
        lineHeight: token.lineHeight,
        height: '100%',
      }}
    >
      {children}
    </div>
  );
}

export function Providers({ children }: { children: ReactNode }) {
  const language = useLanguage();
  return (
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <ConfigProvider locale={language === 'en' ? (antdEnglish ?? zhCN) : zhCN} theme={theme}>
          <Typeface>{children}</Typeface>
        </ConfigProvider>
      </QueryClientProvider>
    </I18nextProvider>
  );
}
