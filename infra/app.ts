import { buildRescueApp } from './rescue-app';

buildRescueApp().app.synth();
