// Focus for controls whose component offers no FocusAsync (MudBlazor's radio group).
// The checked radio of a group (the one the arrow keys move from), else its first.
export function focusRadioGroup(container) {
  (container.querySelector('input[type=radio]:checked') ?? container.querySelector('input[type=radio]'))?.focus();
}
