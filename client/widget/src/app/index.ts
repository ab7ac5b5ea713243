import { MOUNT_EVENT, type MountWidget } from '../shared/contract.js';
import { mountWidget } from './widget.js';

// The app bundle (app.<hash>.js): hands its mount function to the loader that inserted this script.
const script = document.currentScript;
if (script) script.dispatchEvent(new CustomEvent<MountWidget>(MOUNT_EVENT, { detail: mountWidget }));
