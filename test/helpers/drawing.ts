/**
 * Chart drawing a test controls: held until released (slow drawing, or a full one), or broken. The real
 * pictures are drawn once released; nothing waits on a timer.
 */
import { Drawing, type DrawingOptions } from '../../src/charts/drawing.js';

export class HeldDrawing extends Drawing {
  private open!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.open = resolve));
  /** How many drawings reached their slot (and wait for the release). */
  reached = 0;
  /** Set to make every drawing fail once released. */
  broken = false;

  constructor(options: DrawingOptions = { concurrency: 1, waiting: 1 }) {
    super(options);
  }

  release(): void {
    this.open();
  }

  protected override async run<T>(draw: () => Promise<T>): Promise<T> {
    this.reached++;
    await this.gate;
    if (this.broken) throw new Error('resvg fell over');
    return draw();
  }
}
