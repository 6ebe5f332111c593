import { App, Chart } from 'cdk8s';

/**
 * The plain Kubernetes objects a chart synthesizes, as they would appear in its YAML.
 */
export function manifestsOfChart(chart: Chart): any[] {
  return chart.toJson();
}

/**
 * The plain Kubernetes objects every chart of an app synthesizes, in chart order.
 */
export function manifestsOfApp(app: App): any[] {
  return app.charts.flatMap((chart) => chart.toJson());
}
