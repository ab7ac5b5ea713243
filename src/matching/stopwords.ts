const words = (list: string) => new Set(list.split(/\s+/).filter(Boolean));

/**
 * Function and filler words that say nothing about the topic. Question words (what, who, how, why,
 * when, where) are not here: "who is it for" and "what is it" ask different things, and their weight
 * comes from how rare they are in the corpus. Words such as "long", "much", "many", "soon", "safe"
 * and "after" also stay: they decide between entries ("how long" vs "how much").
 */
export const STOP_WORDS_EN = words(
  `a an the and or but if of to in on at by for with from as into about than then so too very just
  i me my mine myself we us our you your yours he him his she her it its they them their this that these
  those there here which whom whose is am are was were be been being do does did doing done have has had
  having will would shall should can could may might must ok okay please really actually honestly
  basically literally anyway anyways any some someone something anything thing things stuff get got also
  still even like tell know want wondering wonder question questions hi hello hey thanks thank lol um uh
  guys quick quickly curious kinda sorta pretty exactly deal tbh btw idk`,
);

/**
 * The same for Spanish, written without accents (the matcher folds them). Kept on purpose, as in English:
 * question words (cómo, cuándo, cuánto, quién, dónde, cuál), "seguro" (safe / insurance), "mucho",
 * "tiempo", "después", "antes", "sin", "no". "Qué" is a stop word here: without its accent it is also the
 * commonest conjunction ("que"), and questions keep their topic words anyway.
 */
export const STOP_WORDS_ES = words(
  `a al ante bajo con contra de del desde en entre hacia hasta para por segun sobre tras
  el la los las lo un una unos unas y e o u ni pero sino que si
  yo me mi mis mio mia tu te ti tus usted ustedes su sus suyo suya nos nosotros nosotras nuestro nuestra
  nuestros nuestras vos vosotros le les se ella ellas ellos el ese esa esos esas este esta estos estas
  esto eso aquel aquella aquello aqui ahi alli
  es son era eran fue fueron ser sido siendo soy eres somos sea sean
  estoy estas esta estamos estan estar estado estaba
  he has ha hemos han haber habia hay
  hago hace hacen hacer
  algo alguien alguna alguno algunas algunos cosa cosas
  muy tan mas ya aun todavia tambien ademas bueno pues entonces osea
  hola buenas buenos gracias oiga oye porfa favor perdon disculpe
  quiero quisiera queria saber pregunta preguntas duda dudas curiosidad
  digame dime explicame expliqueme
  ok okey vale este`,
);
