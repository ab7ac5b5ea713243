// Replaced at build time by client/build.mjs.
/** The app bundle's file name, `app.<hash>.js`. */
declare const __KAPCHAT_APP__: string;
/** The widget's minified stylesheet. */
declare const __KAPCHAT_CSS__: string;
