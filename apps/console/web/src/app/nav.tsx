/**
 * Every screen of the console in one list: its path, the stage it sits under in the left menu, the roles
 * that may open it, and the page (lazy, so each screen is its own chunk). A role's home is the first
 * screen listed with `homeOf` containing that role. To add a screen: add an entry here, put the page in
 * src/features/<stage>/, and its strings in src/features/<stage>/i18n/{zh-CN,en}.json.
 */
import type { QueryClient } from '@tanstack/react-query';
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

export const STAGES = ['intake', 'dispatch', 'handling', 'callback', 'supervision', 'analytics', 'knowledge', 'admin'] as const;
export type Stage = (typeof STAGES)[number];

export const ROLES = ['operator', 'dispatcher', 'handler', 'unit_head', 'callback_agent', 'supervisor', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Screen {
  /** Route path under the shell, e.g. "/intake/desk". */
  path: string;
  stage: Stage;
  /** i18n key of its menu label and page title. */
  titleKey: string;
  roles: readonly Role[];
  /** Roles whose home this screen is. */
  homeOf?: readonly Role[];
  /** Not in the left menu (e.g. an order page reached from a list). */
  hidden?: boolean;
  page: LazyExoticComponent<ComponentType> & { preload: () => Promise<unknown> };
  /**
   * Starts the data the page opens with, into the very cache entries its hooks read, once the session is
   * known (router.tsx): a reload or a bookmark does not wait for the page to render before asking.
   */
  prefetch?: (client: QueryClient) => Promise<unknown>;
  /** A role's screen not built yet: shows the "coming soon" placeholder with the role's name. */
  comingSoonFor?: Role;
}

/** A lazy page that can also be fetched ahead of its first render (`preload`). */
const pick = <M,>(load: () => Promise<M>, name: keyof M) =>
  Object.assign(
    lazy(async () => ({ default: (await load())[name] as unknown as ComponentType })),
    { preload: load },
  );

export const SCREENS: Screen[] = [
  {
    path: '/intake/desk',
    stage: 'intake',
    titleKey: 'pages.desk',
    roles: ['operator'],
    homeOf: ['operator'],
    page: pick(() => import('../features/intake/DeskPage'), 'DeskPage'),
  },
  {
    path: '/intake/search',
    stage: 'intake',
    titleKey: 'pages.search',
    roles: ['operator', 'dispatcher', 'supervisor', 'analyst'],
    page: pick(() => import('../features/intake/SearchPage'), 'SearchPage'),
  },
  {
    path: '/dispatch/queues',
    stage: 'dispatch',
    titleKey: 'pages.queues',
    roles: ['dispatcher'],
    homeOf: ['dispatcher'],
    page: pick(() => import('../features/dispatch/pages'), 'QueuesPage'),
    prefetch: async (client) => (await import('../features/dispatch/api')).prefetchOpeningQueue(client),
  },
  {
    path: '/handling/worklist',
    stage: 'handling',
    titleKey: 'pages.worklist',
    roles: ['handler', 'unit_head'],
    homeOf: ['handler'],
    page: pick(() => import('../features/handling/pages'), 'WorklistPage'),
    prefetch: async (client) => {
      const api = await import('../features/handling/api');
      return api.prefetchWorklists(client, [api.WORKLIST_OPENING]);
    },
  },
  {
    path: '/handling/sign-off',
    stage: 'handling',
    titleKey: 'pages.signOff',
    roles: ['unit_head'],
    homeOf: ['unit_head'],
    page: pick(() => import('../features/handling/pages'), 'SignOffPage'),
    prefetch: async (client) => {
      const api = await import('../features/handling/api');
      return api.prefetchWorklists(client, [api.SIGNOFF_OPENING, api.LEADER_OPENING]);
    },
  },
  {
    path: '/callback/tasks',
    stage: 'callback',
    titleKey: 'pages.callbackTasks',
    roles: ['callback_agent'],
    homeOf: ['callback_agent'],
    page: pick(() => import('../features/callback/pages'), 'CallbackTasksPage'),
  },
  {
    path: '/callback/spot-checks',
    stage: 'callback',
    titleKey: 'callback.spotTitle',
    roles: ['supervisor'],
    page: pick(() => import('../features/callback/pages'), 'SpotCheckPage'),
  },
  {
    path: '/supervision/list',
    stage: 'supervision',
    titleKey: 'pages.supervisionList',
    roles: ['supervisor'],
    homeOf: ['supervisor'],
    page: pick(() => import('../features/supervision/pages'), 'SupervisionListPage'),
  },
  {
    path: '/supervision/board',
    stage: 'supervision',
    titleKey: 'supervision.board.title',
    roles: ['supervisor'],
    page: pick(() => import('../features/supervision/pages'), 'AtRiskBoardPage'),
  },
  {
    path: '/supervision/extensions',
    stage: 'supervision',
    titleKey: 'supervision.extensions.title',
    roles: ['supervisor'],
    page: pick(() => import('../features/supervision/pages'), 'ExtensionsPage'),
  },
  {
    path: '/analytics/dashboard',
    stage: 'analytics',
    titleKey: 'pages.dashboard',
    roles: ['analyst', 'supervisor'],
    homeOf: ['analyst'],
    page: pick(() => import('../features/analytics/DashboardPage'), 'DashboardPage'),
  },
  {
    path: '/analytics/ranking',
    stage: 'analytics',
    titleKey: 'analytics.pages.ranking',
    roles: ['analyst', 'supervisor'],
    page: pick(() => import('../features/analytics/RankingPage'), 'RankingPage'),
  },
  {
    path: '/analytics/hotspots',
    stage: 'analytics',
    titleKey: 'analytics.pages.hotspots',
    roles: ['analyst', 'supervisor'],
    page: pick(() => import('../features/analytics/HotspotsPage'), 'HotspotsPage'),
  },
  {
    path: '/analytics/reports',
    stage: 'analytics',
    titleKey: 'analytics.pages.reports',
    roles: ['analyst', 'supervisor'],
    page: pick(() => import('../features/analytics/ReportsPage'), 'ReportsPage'),
  },
  {
    path: '/knowledge',
    stage: 'knowledge',
    titleKey: 'pages.knowledge',
    roles: ['operator', 'dispatcher', 'supervisor', 'handler', 'admin'],
    page: pick(() => import('../features/knowledge/KnowledgePage'), 'KnowledgePage'),
  },
  // The administrators' screens, under /system (the console's own API holds /admin), the home first in the menu.
  {
    path: '/system/home',
    stage: 'admin',
    titleKey: 'admin.pages.home',
    roles: ['admin'],
    homeOf: ['admin'],
    page: pick(() => import('../features/admin/AdminHome'), 'AdminHome'),
  },
  {
    path: '/system/org',
    stage: 'admin',
    titleKey: 'admin.pages.org',
    roles: ['admin'],
    page: pick(() => import('../features/admin/OrgPage'), 'OrgPage'),
  },
  {
    path: '/system/routing',
    stage: 'admin',
    titleKey: 'admin.pages.routing',
    roles: ['admin'],
    page: pick(() => import('../features/admin/RoutingPage'), 'RoutingPage'),
  },
  {
    path: '/system/sla',
    stage: 'admin',
    titleKey: 'admin.pages.sla',
    roles: ['admin'],
    page: pick(() => import('../features/admin/SlaPage'), 'SlaPage'),
  },
  {
    path: '/system/calendar',
    stage: 'admin',
    titleKey: 'admin.pages.calendar',
    roles: ['admin'],
    page: pick(() => import('../features/admin/CalendarPage'), 'CalendarPage'),
  },
  {
    path: '/system/categories',
    stage: 'admin',
    titleKey: 'admin.pages.categories',
    roles: ['admin'],
    page: pick(() => import('../features/admin/CategoriesPage'), 'CategoriesPage'),
  },
  {
    path: '/system/accounts',
    stage: 'admin',
    titleKey: 'admin.pages.accounts',
    roles: ['admin'],
    page: pick(() => import('../features/admin/AccountsPage'), 'AccountsPage'),
  },
  {
    path: '/system/open311',
    stage: 'admin',
    titleKey: 'admin.pages.open311',
    roles: ['admin'],
    page: pick(() => import('../features/admin/Open311Page'), 'Open311Page'),
  },
  {
    path: '/system/dead-letters',
    stage: 'admin',
    titleKey: 'admin.pages.deadLetters',
    roles: ['admin'],
    page: pick(() => import('../features/admin/DeadLettersPage'), 'DeadLettersPage'),
  },
  {
    path: '/system/deliveries',
    stage: 'admin',
    titleKey: 'admin.pages.deliveries',
    roles: ['admin'],
    page: pick(() => import('../features/admin/DeliveriesPage'), 'DeliveriesPage'),
  },
  {
    path: '/system/expiry-policies',
    stage: 'admin',
    titleKey: 'admin.pages.expiry',
    roles: ['admin'],
    page: pick(() => import('../features/admin/ExpiryPoliciesPage'), 'ExpiryPoliciesPage'),
  },
];

export function screensFor(roles: readonly string[]): Screen[] {
  return SCREENS.filter((s) => s.roles.some((r) => roles.includes(r)));
}

/** The home path of a person: the home of their first role that has one. */
export function homeOf(roles: readonly string[]): string {
  for (const role of roles) {
    const screen = SCREENS.find((s) => s.homeOf?.includes(role as Role));
    if (screen) return screen.path;
  }
  return screensFor(roles)[0]?.path ?? '/no-access';
}

export function screenAt(pathname: string): Screen | undefined {
  return SCREENS.find((s) => pathname === s.path || pathname.startsWith(`${s.path}/`));
}

/**
 * Starts fetching the page at this path (its chunk and the chunks it imports) at once, alongside the
 * session check, instead of after it: a reload or a bookmark of a screen waits for one round trip less.
 */
export function preloadScreenAt(pathname: string): void {
  void screenAt(pathname)
    ?.page.preload()
    .catch(() => undefined); // the lazy page asks again, and shows the error, when it renders
}

/**
 * Once the person is known: the data of the screen at this path (for "/", their home), if they may open
 * it. A failure is ignored here: the page's own query asks again and shows it.
 */
export function prefetchScreenData(client: QueryClient, pathname: string, roles: readonly string[]): void {
  const screen = screenAt(pathname === '/' ? homeOf(roles) : pathname);
  if (!screen?.prefetch || !screen.roles.some((r) => roles.includes(r))) return;
  void screen.prefetch(client).catch(() => undefined);
}
