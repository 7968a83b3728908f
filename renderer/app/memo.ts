/**
 * Memoises a derivation on the identity of its input. zustand 5 needs selectors to return stable
 * references: deriving a fresh array on every call would re-render (or loop) forever.
 */
export function memoOn<I, O>(derive: (input: I) => O): (input: I) => O {
  let hasLast = false;
  let lastInput: I;
  let lastOutput: O;
  return (input) => {
    if (!hasLast || input !== lastInput) {
      lastOutput = derive(input);
      lastInput = input;
      hasLast = true;
    }
    return lastOutput;
  };
}
