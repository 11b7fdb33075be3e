/** Charts rendered server-side: SVG built with d3-scale and d3-shape, PNG by resvg. No platform code, no SQL. */
export { boardChart, type BoardChartRow, type BoardChartOptions } from './board.js';
export { statsChart, statsHeight, STATS_SIZE, type StatsChartData, type TopicStrength, type WeekPoint } from './stats.js';
export { renderPng, type Png } from './render.js';
