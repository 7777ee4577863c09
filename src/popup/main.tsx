import { render } from 'preact';
import { App } from './App';
import { loadPopupState } from './popup-state';

// One storage read, then the first paint: the popup never waits for the worker or the network.
void loadPopupState().then((initial) => render(<App initial={initial} />, document.getElementById('app')!));
