// A config typed by a person: refused before sending unless it is a JSON object.

// null when `text` is a JSON object, else why not.
export function checkObject(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `Not valid JSON: ${error.message}`;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'The config must be a JSON object ({...}).';
  return null;
}

// The body of a PUT: name and comments serialised here, the config text sent as typed so that
// its numbers reach the service with the digits the person wrote.
export function configurationBody({ name, comments, configText, applicationId }) {
  const members = [];
  if (applicationId) members.push(`"application_id":${JSON.stringify(applicationId)}`);
  members.push(`"name":${JSON.stringify(name)}`, `"comments":${JSON.stringify(comments)}`, `"config":${configText.trim()}`);
  return `{${members.join(',')}}`;
}
