import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router-dom';
import 'antd/dist/antd.css';
import './app/global.css';
import { Providers } from './app/providers';
import { router } from './app/router';
import { i18nReady } from './i18n';

// Rendered once the chosen language's strings are there (English is a chunk of its own).
void i18nReady.then(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <Providers>
        <RouterProvider router={router} />
      </Providers>
    </StrictMode>,
  ),
);
