import { render } from 'preact';
import { App } from './App';
import { loadOptionsState } from './options-state';

void loadOptionsState().then((initial) => {
  render(<App initial={initial} />, document.getElementById('app')!);
  // Links from the popup (#account, #services) land on their section.
  if (location.hash) document.querySelector(location.hash)?.scrollIntoView();
});
