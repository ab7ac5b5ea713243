/**
 * Function and filler words that say nothing about the topic. Question words (what, who, how, why,
 * when, where) are not here: "who is it for" and "what is it" ask different things, and their weight
 * comes from how rare they are in the corpus. Words such as "long", "much", "many", "soon", "safe"
 * and "after" also stay: they decide between entries ("how long" vs "how much").
 */
export const STOP_WORDS = new Set(
  `a an the and or but if of to in on at by for with from as into about than then so too very just
  i me my mine myself we us our you your yours he him his she her it its they them their this that these
  those there here which whom whose is am are was were be been being do does did doing done have has had
  having will would shall should can could may might must ok okay please really actually honestly
  basically literally anyway anyways any some someone something anything thing things stuff get got also
  still even like tell know want wondering wonder question questions hi hello hey thanks thank lol um uh
  guys quick quickly curious kinda sorta pretty exactly deal tbh btw idk`
    .split(/\s+/)
    .filter(Boolean),
);
