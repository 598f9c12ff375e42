// The API's error codes in French and English. The API answers {"code", "message"}; the pages
// show the translation of the code when there is one, else the API's own (English) message.

const messages = {
  fr: {
    malformed_json: "La requête est mal formée.",
    validation_error: "Certains champs sont invalides.",
    body_too_large: "Le contenu envoyé est trop volumineux.",
    unsupported_media_type: "Format de requête non pris en charge.",
    not_authenticated: "Veuillez vous connecter.",
    invalid_credentials: "E-mail ou mot de passe incorrect.",
    permission_denied: "Vous n'avez pas les droits pour cette action.",
    csrf_failed: "Votre session a changé : rechargez la page puis réessayez.",
    rate_limited: "Trop de tentatives : réessayez dans quelques minutes.",
    not_found: "Introuvable.",
    ticket_not_found: "Ticket introuvable.",
    customer_not_found: "Client introuvable.",
    agent_not_found: "Agent introuvable.",
    service_not_found: "Service introuvable.",
    mail_not_found: "E-mail introuvable.",
    invalid_token: "Ce lien est invalide ou a expiré.",
    conflict: "Une autre modification est passée entre-temps : rechargez et réessayez.",
    ticket_closed: "Ce ticket est fermé : ouvrez-en un nouveau.",
    merge_other_customer: "Seuls les tickets d'un même client peuvent être fusionnés.",
    already_merged: "Ce ticket a déjà été fusionné.",
    merge_into_closed: "Impossible de fusionner dans un ticket fermé.",
    merge_into_itself: "Un ticket ne peut pas être fusionné avec lui-même.",
    reply_cannot_set_new: "Un ticket qui a reçu une réponse ne peut pas revenir à « Nouveau ».",
    customer_exists: "Un client existe déjà avec cette adresse e-mail.",
    agent_exists: "Un agent existe déjà avec cette adresse e-mail.",
    resource_taken: "Ce domaine ou cette adresse IP appartient déjà à un autre service.",
    mail_already_in_ticket: "Cet e-mail est déjà dans un ticket.",
    mail_without_sender: "Cet e-mail n'a pas d'expéditeur : impossible d'en faire un ticket.",
    mail_not_failed: "Seul un envoi en échec peut être relancé.",
    internal_error: "Une erreur est survenue de notre côté. Réessayez plus tard.",
  },
  en: {
    malformed_json: "The request is malformed.",
    validation_error: "Some fields are invalid.",
    body_too_large: "What you sent is too large.",
    unsupported_media_type: "Unsupported request format.",
    not_authenticated: "Please log in.",
    invalid_credentials: "Wrong e-mail or password.",
    permission_denied: "You are not allowed to do this.",
    csrf_failed: "Your session changed: reload the page and try again.",
    rate_limited: "Too many attempts: try again in a few minutes.",
    not_found: "Not found.",
    ticket_not_found: "No such ticket.",
    customer_not_found: "No such customer.",
    agent_not_found: "No such agent.",
    service_not_found: "No such service.",
    mail_not_found: "No such mail.",
    invalid_token: "This link is invalid or has expired.",
    conflict: "Someone else changed this meanwhile: reload and try again.",
    ticket_closed: "This ticket is closed: open a new one.",
    merge_other_customer: "Only tickets of the same customer can be merged.",
    already_merged: "This ticket was already merged.",
    merge_into_closed: "Cannot merge into a closed ticket.",
    merge_into_itself: "A ticket cannot be merged into itself.",
    reply_cannot_set_new: "A ticket that was answered cannot go back to 'new'.",
    customer_exists: "A customer with this e-mail already exists.",
    agent_exists: "An agent with this e-mail already exists.",
    resource_taken: "This domain or IP address already belongs to another service.",
    mail_already_in_ticket: "This mail is already in a ticket.",
    mail_without_sender: "This mail has no sender: it cannot become a ticket.",
    mail_not_failed: "Only a failed mail can be retried.",
    internal_error: "Something went wrong on our side. Try again later.",
  },
};

/** The text to show for an ApiError in `lang`, with the fields the API named. */
export function apiErrorText(error, lang) {
  const dict = messages[lang] || messages.fr;
  const base = dict[error.code] || error.message;
  const fields = (error.fieldErrors || [])
    .map((e) => (e.field && e.field !== "body" ? `${e.field} : ${e.message}` : e.message))
    .filter(Boolean);
  return fields.length ? `${base} (${fields.join("; ")})` : base;
}
