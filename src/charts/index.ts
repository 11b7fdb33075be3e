/** Charts rendered server-side: SVG built with d3-scale and d3-shape, PNG by resvg, both on the drawing thread. No platform code, no SQL. */
export { boardChart, statsChart } from './pictures.js';
export { statsHeight, STATS_SIZE, type BoardChartOptions, type BoardChartRow, type StatsChartData, type TopicStrength, type WeekPoint } from './data.js';
export { renderChart, type Png } from './render.js';
