import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IndexHtmlTransformContext, Plugin } from 'vite';

/**
 * Puts into the built index.html a small script that, before the entry script runs, asks for the session
 * and for the chunks of the screen at the address (the shell's and the page's, with what they import) as
 * modulepreloads.
 *
 * Without it a reload or a bookmark of a screen fetches the entry (600 KB), runs it, and only then learns
 * of the shell's and the page's chunks (`import()` in router.tsx and nav.tsx): about 25 requests issued
 * one after another while the entry's code keeps the page's main thread busy. With it they download while
 * the entry is still arriving. The screens and their page modules come from scripts/build-web.js
 * (`screens()`, read from src/app/nav.tsx); the chunks, from the bundle Vite is writing.
 */
/** The screens and the source modules each opens with: scripts/build-web.js's list, which weighs the same first screens. */
function firstScreenSources(): { path: string; chunks: string[] }[] {
  const buildWeb = createRequire(import.meta.url)(
    resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../scripts/build-web.js'),
  ) as {
    screens(): { path: string; chunks: string[] }[];
  };
  return buildWeb.screens();
}

export function preloadScreens(webRoot: string): Plugin {
  return {
    name: 'jiesu-preload-screens',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html: string, ctx: IndexHtmlTransformContext) {
        const bundle = ctx.bundle;
        if (!bundle) return html;
        const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
        const byModule = new Map(chunks.filter((c) => c.facadeModuleId).map((c) => [c.facadeModuleId!, c]));
        const byFile = new Map(chunks.map((c) => [c.fileName, c]));
        const entry = chunks.find((c) => c.isEntry);
        if (!entry) return html;
        const closure = (file: string, into: Set<string>): Set<string> => {
          if (into.has(file)) return into;
          into.add(file);
          for (const dep of byFile.get(file)?.imports ?? []) closure(dep, into);
          return into;
        };
        const loaded = closure(entry.fileName, new Set()); // index.html asks for these already
        const files: string[] = [];
        const indexOf = (f: string) => (files.includes(f) ? files.indexOf(f) : files.push(f) - 1);
        /** The chunks these source modules need beyond the entry's, as indexes into `files`. */
        const filesOf = (sources: string[]): number[] => {
          const into = new Set<string>();
          for (const source of sources) {
            const chunk = byModule.get(resolve(webRoot, source));
            if (!chunk) throw new Error(`preload-screens: ${source} is not a chunk of the build (is nav.tsx's page list still readable?)`);
            closure(chunk.fileName, into);
          }
          return [...into].filter((f) => !loaded.has(f)).map(indexOf);
        };
        const shell = filesOf(['src/app/ShellLayout.tsx']);
        const screens = Object.fromEntries(firstScreenSources().map((s) => [s.path, filesOf(s.chunks)]));
        // The session is asked for first: over HTTP/1.1 a browser opens six connections to a host, and the
        // chunks would queue it (api/session.ts takes this answer). Not on /login, which does not ask.
        const script =
          `(function(){var f=${JSON.stringify(files)},s=${JSON.stringify(screens)},p=location.pathname,l=s[p];` +
          `if(p!=='/login')window.__jiesuSession=fetch('/auth/session',{credentials:'same-origin',headers:{accept:'application/json'}});` +
          `if(!l)for(var k in s)if(p.indexOf(k+'/')===0){l=s[k];break}` +
          `(l||${JSON.stringify(shell)}).forEach(function(i){var e=document.createElement('link');` +
          `e.rel='modulepreload';e.crossOrigin='';e.href='/'+f[i];document.head.appendChild(e)})})()`;
        return [{ tag: 'script', children: script, injectTo: 'head-prepend' }];
      },
    },
  };
}
