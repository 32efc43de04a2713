// re2js takes a few milliseconds to load, and the hook needs it only when a payload holds a
// keyword of a secret format or a guard has a regex: required on first use, not at start-up.
// (A CommonJS require inside a function is what bundlers keep lazy.)
let re2;
module.exports = function loadRe2() {
  re2 ??= require('re2js');
  return re2;
};
