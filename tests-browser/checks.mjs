/** What the headless-browser runners share: a check that prints and remembers failures, and a relative error. */

/** `check(ok, what)` prints ok/FAIL and the words; `failures` lists what failed. */
export function checker() {
  const failures = [];
  const check = (ok, what) => {
    console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
    if (!ok) failures.push(what);
  };
  return { check, failures };
}

/** The largest difference, relative to the largest expected magnitude (Infinity when the lengths differ). */
export function maxRelError(got, want) {
  let scale = 1e-30;
  let err = got.length === want.length ? 0 : Infinity;
  for (const w of want) scale = Math.max(scale, Math.abs(w));
  for (let i = 0; i < want.length; i++) err = Math.max(err, Math.abs(got[i] - want[i]) / scale);
  return err;
}
