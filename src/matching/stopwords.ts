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
  ok okey vale este
  tengo tiene tienen tenemos tenia tener tuve voy vas va van vamos ir iba`,
);

/**
 * Words that frame a question without naming its topic: who is asking for whom ("my brother", "mi tía"),
 * how they feel about it ("scared", "desesperada"), where they heard of it ("a podcast", "Instagram") and
 * conversational filler ("realistically", "ahorita"). A question drops them when the corpus does not use
 * them (see Analyzer.analyseQuery): a word the corpus never uses weighs the most and raises the bar for
 * answering, so "my brother has schizophrenia, could he do KAP?" fell back on "brother". Words the corpus
 * does use ("daughter" in the adolescents entry, "worried") keep their weight. Symptoms ("tired") and
 * topic words are never listed here.
 */
export const FRAMING_WORDS_EN = words(
  `mom mum mommy mother dad daddy father parent parents brother brothers sister sisters sibling siblings
  husband wife spouse partner boyfriend girlfriend fiance fiancee son sons daughter daughters kid kids
  grandma grandmother grandpa grandfather granny nana aunt uncle cousin niece nephew friend friends buddy
  bestie coworker coworkers colleague colleagues boss roommate neighbor neighbour family relative relatives
  stepdad stepmom stepson stepdaughter
  scared afraid terrified frightened worried worry worrying nervous freaked freaking desperate embarrassed
  ashamed confused skeptic skeptical sceptical hopeful excited overwhelmed frustrated honest
  easily realistically seriously truly genuinely totally super literally definitely probably maybe perhaps
  currently recently lately already ago yeah yep nope gonna wanna gotta lol lmao omg ppl pls plz thx sorry
  hmm hm oh ah alright sure guess suppose mean
  heard hear hearing saw seen read reading podcast podcasts article articles online internet google reddit
  tiktok instagram facebook youtube ad ads advert commercial`,
);

export const FRAMING_WORDS_ES = words(
  `mama mami mamita papa papi papito madre padre padres hermano hermana hermanos hermanas esposo esposa
  marido pareja novio novia hijo hija hijos hijas nino nina ninos ninas abuela abuelo abuelita abuelito
  abuelos tia tio tias tios prima primo primas primos sobrina sobrino suegra suegro cunada cunado comadre
  compadre amiga amigo amigas amigos vecina vecino companero companera jefe jefa familia familiar familiares
  miedo asustado asustada preocupado preocupada preocupa nervioso nerviosa desesperado desesperada apenado
  apenada avergonzado avergonzada pena curioso curiosa esceptico esceptica
  ahorita nomas senorita senora senor oiga mire fijese disculpa perdone verdad neta realmente sinceramente
  honestamente francamente basicamente literalmente jaja jajaja porfavor porfa xfa plis pls
  dicen dijo dijeron escuche oi oido lei leido vi vio visto contaron cuentan
  internet instagram facebook tiktok youtube google reddit anuncio anuncios noticias podcast`,
);
