import * as barrel from '../../src/selector';
import { SelectorParseError } from '../../src/selector/errors';
import { LabelSelectorBuilder, Selector } from '../../src/selector/selector';

test('the barrel exports the public selector API and nothing internal', () => {
  expect(barrel.Selector).toBe(Selector);
  expect(barrel.LabelSelectorBuilder).toBe(LabelSelectorBuilder);
  expect(barrel.SelectorParseError).toBe(SelectorParseError);
  expect(Object.keys(barrel).sort()).toEqual(['LabelSelectorBuilder', 'Selector', 'SelectorParseError']);
});
