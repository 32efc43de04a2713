// cron-parser (with luxon, 300 KB of code) is needed only by the scheduler, the Jobs screen and a
// config that sets its own cron expressions: required on first use, not by every command that opens
// a workspace. (A CommonJS require inside a function is what bundlers keep lazy; the build leaves
// the package out of the bundle, so its code is not even parsed until then.)
let parser;
module.exports = function loadCronParser() {
  parser ??= require('cron-parser');
  return parser;
};
