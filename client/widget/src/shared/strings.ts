import type { Locale } from './protocol.js';

/**
 * Every string the widget shows, in English and Spanish (formal "usted", like the reply texts in
 * knowledge/replies/es.yaml). Medical text never lives here: it all comes from the server.
 */

/** The launcher's strings: the only ones the small loader carries. */
export const LAUNCHER_STRINGS = {
  en: {
    label: 'Questions?',
    labelRest: ' Chat with our assistant',
    unread: (n: number) => (n === 1 ? ', 1 new message' : `, ${n} new messages`),
    loadError: 'The chat could not load. Please try again.',
    help: 'If you need to talk to someone now:',
  },
  es: {
    label: '¿Preguntas?',
    labelRest: ' Converse con nuestro asistente',
    unread: (n: number) => (n === 1 ? ', 1 mensaje nuevo' : `, ${n} mensajes nuevos`),
    loadError: 'No se pudo cargar el chat. Inténtelo de nuevo.',
    help: 'Si necesita hablar con alguien ahora:',
  },
} satisfies Record<Locale, unknown>;

export interface UiStrings {
  title: string;
  subtitle: string;
  close: string;
  status: { connecting: string; online: string; offline: string; reconnected: string };
  staffPresent: string;
  inputLabel: string;
  placeholder: string;
  send: string;
  /** The message has `length` characters, over the `max` the server takes. */
  tooLong: (length: number, max: number) => string;
  startersIntro: string;
  starters: string[];
  you: string;
  assistant: string;
  careTeam: string;
  typing: string;
  queued: string;
  failed: string;
  rateLimited: string;
  retry: string;
  relayed: string;
  sources: string;
  /** The button that shows an answer's full text under its short answer, and hides it again. */
  readMore: string;
  readLess: string;
  evidence: string;
  related: string;
  suggestions: string;
  helpful: string;
  yes: string;
  no: string;
  feedbackThanks: string;
  feedbackError: string;
  crisisHeading: string;
  bannerText: string;
  /** The banner's line when the server cannot be reached (the built-in resources follow). */
  unreachable: string;
  bannerLabel: string;
  resourcesLabel: string;
  followUpLabel: string;
  followUpSend: string;
  followUpDone: string;
  followUpInvalid: string;
  followUpUnknown: string;
  followUpFailed: string;
  talkToPerson: string;
  contactHeading: (name: string) => string;
  contactPhone: string;
  contactEmail: string;
  contactWebsite: string;
  contactHours: string;
  contactNone: (name: string) => string;
  clinicFallbackName: string;
  clear: string;
  clearConfirm: string;
  clearYes: string;
  clearNo: string;
  cleared: string;
  notRestored: string;
  disclaimer: string;
  opensNewTab: string;
}

export const UI_STRINGS: Record<Locale, UiStrings> = {
  en: {
    title: 'Questions about ketamine therapy',
    subtitle: 'Answers reviewed by our care team',
    close: 'Close chat',
    status: {
      connecting: 'Connecting…',
      online: 'Connected',
      offline: 'Offline. Trying to reconnect. Messages you write will be sent when the connection is back.',
      reconnected: 'Reconnected',
    },
    staffPresent: 'A member of our care team is in this conversation.',
    inputLabel: 'Your question',
    placeholder: 'Type your question',
    send: 'Send',
    tooLong: (length, max) =>
      `Your message is ${length.toLocaleString('en-US')} characters long; the limit is ${max.toLocaleString('en-US')}. ` +
      'Please shorten it, or send it in parts. If you need to talk to someone now, you can call or text 988.',
    startersIntro: 'You can ask, for example:',
    starters: [
      'What is ketamine-assisted therapy?',
      'How fast does it work?',
      'What are the side effects?',
      'How do I get started?',
    ],
    you: 'You',
    assistant: 'Assistant',
    careTeam: 'Care team',
    typing: 'The assistant is writing',
    queued: 'Not sent yet: it will be sent when the connection is back.',
    failed: 'Not sent.',
    rateLimited: 'You are sending messages quickly. Please wait a moment, then try again.',
    retry: 'Try again',
    relayed: 'Sent to the care team member.',
    sources: 'Sources',
    readMore: 'Read more',
    readLess: 'Show less',
    evidence: 'How strong is the evidence?',
    related: 'Related topics',
    suggestions: 'Suggested topics',
    helpful: 'Was this helpful?',
    yes: 'Yes',
    no: 'No',
    feedbackThanks: 'Thank you for your feedback.',
    feedbackError: 'Your feedback could not be sent.',
    crisisHeading: 'You can talk to someone right now',
    bannerText: 'Need to talk to someone now?',
    unreachable: "The assistant can't be reached right now. If you need to talk to someone now:",
    bannerLabel: 'Crisis support',
    resourcesLabel: 'Ways to reach someone now',
    followUpLabel: 'Your phone number or email (optional)',
    followUpSend: 'Send my contact',
    followUpDone:
      'Thank you. Our care team has your contact details. If you need to talk to someone now, please use the options above.',
    followUpInvalid: 'Please enter a phone number or an email address, for example 555-0100 or name@example.com.',
    followUpUnknown:
      'Your contact details could not be saved for this conversation. Please use the options above to reach someone.',
    followUpFailed: 'Your contact details could not be sent. Please try again.',
    talkToPerson: 'Talk to a person',
    contactHeading: (name) => `Talk to a person at ${name}`,
    contactPhone: 'Phone',
    contactEmail: 'Email',
    contactWebsite: 'Website',
    contactHours: 'Hours',
    contactNone: (name) => `Please contact ${name} directly.`,
    clinicFallbackName: 'the clinic',
    clear: 'Clear this conversation',
    clearConfirm: 'Clear this conversation from this device and from our server?',
    clearYes: 'Clear',
    clearNo: 'Cancel',
    cleared: 'The conversation was cleared.',
    notRestored: 'The earlier conversation has ended. Your next message starts a new one.',
    disclaimer: 'This is general education, not medical advice. In an emergency, call 911.',
    opensNewTab: '(opens in a new tab)',
  },
  es: {
    title: 'Preguntas sobre la terapia con ketamina',
    subtitle: 'Respuestas revisadas por nuestro equipo de atención',
    close: 'Cerrar el chat',
    status: {
      connecting: 'Conectando…',
      online: 'Conectado',
      offline: 'Sin conexión. Intentando reconectar. Los mensajes que escriba se enviarán cuando vuelva la conexión.',
      reconnected: 'Conexión restablecida',
    },
    staffPresent: 'Un miembro de nuestro equipo de atención está en esta conversación.',
    inputLabel: 'Su pregunta',
    placeholder: 'Escriba su pregunta',
    send: 'Enviar',
    tooLong: (length, max) =>
      `Su mensaje tiene ${length.toLocaleString('es')} caracteres; el límite es ${max.toLocaleString('es')}. ` +
      'Acórtelo o envíelo en partes. Si necesita hablar con alguien ahora, puede llamar o enviar un mensaje de texto al 988.',
    startersIntro: 'Puede preguntar, por ejemplo:',
    starters: [
      '¿Qué es la terapia asistida con ketamina?',
      '¿Qué tan rápido funciona?',
      '¿Cuáles son los efectos secundarios?',
      '¿Cómo puedo empezar?',
    ],
    you: 'Usted',
    assistant: 'Asistente',
    careTeam: 'Equipo de atención',
    typing: 'El asistente está escribiendo',
    queued: 'Aún no enviado: se enviará cuando vuelva la conexión.',
    failed: 'No enviado.',
    rateLimited: 'Está enviando mensajes muy rápido. Espere un momento y vuelva a intentarlo.',
    retry: 'Reintentar',
    relayed: 'Enviado al miembro del equipo de atención.',
    sources: 'Fuentes',
    readMore: 'Leer más',
    readLess: 'Mostrar menos',
    evidence: '¿Qué tan sólida es la evidencia?',
    related: 'Temas relacionados',
    suggestions: 'Temas sugeridos',
    helpful: '¿Le resultó útil?',
    yes: 'Sí',
    no: 'No',
    feedbackThanks: 'Gracias por su opinión.',
    feedbackError: 'No se pudo enviar su opinión.',
    crisisHeading: 'Puede hablar con alguien ahora mismo',
    bannerText: '¿Necesita hablar con alguien ahora?',
    unreachable: 'El asistente no está disponible en este momento. Si necesita hablar con alguien ahora:',
    bannerLabel: 'Apoyo en crisis',
    resourcesLabel: 'Formas de comunicarse con alguien ahora',
    followUpLabel: 'Su teléfono o correo electrónico (opcional)',
    followUpSend: 'Enviar mi contacto',
    followUpDone:
      'Gracias. Nuestro equipo de atención tiene sus datos de contacto. Si necesita hablar con alguien ahora, use las opciones de arriba.',
    followUpInvalid: 'Escriba un número de teléfono o un correo electrónico, por ejemplo 555-0100 o nombre@ejemplo.com.',
    followUpUnknown:
      'No se pudieron guardar sus datos de contacto en esta conversación. Use las opciones de arriba para comunicarse con alguien.',
    followUpFailed: 'No se pudieron enviar sus datos de contacto. Inténtelo de nuevo.',
    talkToPerson: 'Hablar con una persona',
    contactHeading: (name) => `Hablar con una persona de ${name}`,
    contactPhone: 'Teléfono',
    contactEmail: 'Correo electrónico',
    contactWebsite: 'Sitio web',
    contactHours: 'Horario',
    contactNone: (name) => `Comuníquese directamente con ${name}.`,
    clinicFallbackName: 'la clínica',
    clear: 'Borrar esta conversación',
    clearConfirm: '¿Borrar esta conversación de este dispositivo y de nuestro servidor?',
    clearYes: 'Borrar',
    clearNo: 'Cancelar',
    cleared: 'La conversación se borró.',
    notRestored: 'La conversación anterior terminó. Su próximo mensaje comenzará una nueva.',
    disclaimer: 'Esta es información educativa general, no un consejo médico. En una emergencia, llame al 911.',
    opensNewTab: '(se abre en una pestaña nueva)',
  },
};

/**
 * The crisis resources built into the widget, for when no reply has brought the server's own: the
 * server cannot be reached, or a conversation resumed as flagged without them. US services, like the
 * server's default region. 911 last: nothing here says the danger is immediate.
 */
export const DEFAULT_CRISIS_RESOURCES: Record<Locale, Array<{ id: string; label: string; href: string; description: string }>> = {
  en: [
    { id: '988-call', label: 'Call 988', href: 'tel:988', description: '988 Suicide & Crisis Lifeline, 24/7.' },
    { id: '988-text', label: 'Text 988', href: 'sms:988', description: 'Text with a trained crisis counselor, 24/7.' },
    {
      id: 'crisis-text-line',
      label: 'Text HOME to 741741',
      href: 'sms:741741?&body=HOME',
      description: 'Crisis Text Line, 24/7.',
    },
    { id: '911', label: 'Call 911', href: 'tel:911', description: 'In an emergency, or go to the nearest emergency room.' },
  ],
  es: [
    {
      id: '988-call',
      label: 'Llame al 988 (marque 2 para español)',
      href: 'tel:988',
      description: 'Línea 988 de Prevención del Suicidio y Crisis, 24/7.',
    },
    {
      id: '988-text',
      label: 'Envíe AYUDA al 988',
      href: 'sms:988?&body=AYUDA',
      description: 'Mensajes de texto en español con un consejero de crisis, 24/7.',
    },
    {
      id: 'crisis-text-line',
      label: 'Envíe AYUDA al 741741',
      href: 'sms:741741?&body=AYUDA',
      description: 'Crisis Text Line en español, 24/7.',
    },
    {
      id: '911',
      label: 'Llame al 911',
      href: 'tel:911',
      description: 'En una emergencia, o vaya a la sala de emergencias más cercana.',
    },
  ],
};
