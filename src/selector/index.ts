export { Selector, LabelSelectorBuilder } from './selector';
export { SelectorParseError } from './errors';
