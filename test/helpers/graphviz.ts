/**
 * Graphviz itself, compiled to WebAssembly (@hpcc-js/wasm-graphviz, a devDependency): the oracle for the
 * DOT `lakestep graph` prints, on every machine the tests run on, with no system package to install.
 */
import { Graphviz } from '@hpcc-js/wasm-graphviz';

let graphviz: Promise<Graphviz> | undefined;

/** Lays `dot` out to SVG with Graphviz's `dot` engine; throws Graphviz's own message when it refuses the text. */
export async function layoutDot(dot: string): Promise<string> {
  graphviz ??= Graphviz.load();
  return (await graphviz).dot(dot, 'svg');
}
