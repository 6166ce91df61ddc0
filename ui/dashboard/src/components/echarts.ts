// ECharts with only what the statistics page draws (bar and line charts on a grid, tooltip,
// legend), so the bundle carries none of the rest.
import { use } from "echarts/core";
import { BarChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export { init, type ECharts, type EChartsCoreOption } from "echarts/core";
