// Replaced at build time by client/console/build.mjs.
/** The widget's minified stylesheet (client/widget/src/loader/widget.css): previews look exactly like the widget. */
declare const __WIDGET_CSS__: string;
