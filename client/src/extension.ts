// placeholder, replaced by the client
export function activate(): void {}
export function deactivate(): void {}
