/**
 * ECharts on a canvas, loaded only when a chart is first shown (React.lazy on this module keeps
 * ECharts out of the first screen's JavaScript: scripts/build-web.js). Only the charts and components
 * the screens use are registered.
 */
import { LineChart, ScatterChart, CustomChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([LineChart, ScatterChart, CustomChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

export interface EChartProps {
  option: ChartOption;
  height: number;
  /** Test hook (data-testid="chart-<testId>"). */
  testId: string;
  /** Accessible name of the canvas. */
  ariaLabel?: string;
  onClick?: (params: { seriesIndex?: number; dataIndex: number; data: unknown }) => void;
}

export default function EChart({ option, height, testId, ariaLabel, onClick }: EChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!ref.current) return;
    const c = echarts.init(ref.current, undefined, { renderer: 'canvas' });
    chart.current = c;
    const resize = new ResizeObserver(() => c.resize());
    resize.observe(ref.current);
    return () => {
      resize.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  useEffect(() => {
    const c = chart.current;
    if (!c || !onClick) return;
    const handler = (p: unknown) => onClick(p as { seriesIndex?: number; dataIndex: number; data: unknown });
    c.on('click', handler);
    return () => {
      c.off('click', handler);
    };
  }, [onClick]);

  return <div ref={ref} role="img" aria-label={ariaLabel ?? testId} data-testid={`chart-${testId}`} style={{ width: '100%', height }} />;
}
