import { createContext, useContext } from 'react';
import type { WebConfig } from './config';

export const ConfigContext = createContext<WebConfig | null>(null);

export function useConfig(): WebConfig {
  const config = useContext(ConfigContext);
  if (!config) throw new Error('useConfig outside the app');
  return config;
}
