// The questions of a replace (AutoReplaceSMIME), one step each with the settings' defaults
// offered: the order number, signatureHash, languageName, the three template IDs and whether to
// revoke the old certificate; and the automation argument that answers them instead. The flow
// that asks them, confirms and sends is replace-flow.ts.
import { outside, words, type Text } from '../../core/outside-text';
import type { LanguageName, SignatureHash } from '../../core/sectigo/types';
import { LANGUAGE_NAMES, SIGNATURE_HASHES, validateOrderNumber, validateTemplateId } from '../../core/sectigo/validate';
import type { CommandArguments } from '../shared/command-boundary';
import { runSteps, type PickItem, type Step } from '../shared/multi-step-input';
import { readReplaceDefaults } from '../shared/settings';
import { problemText, t } from '../shared/text';

/** The last argument a test or script may pass instead of answering the prompts. */
export interface ReplaceAutomation {
  confirm: true;
  orderNumber: string;
  signatureHash?: SignatureHash;
  languageName?: LanguageName;
  revokeOldOrder?: boolean;
  verificationTemplateId?: number;
  requestTemplateId?: number;
  collectionTemplateId?: number;
  /** Send although the pre-flight predicts -13. */
  allowPredictedRefusal?: boolean;
  /** Go through the confirmations and answer them: 'enter' (the focused button), 'escape', or a button label. */
  dialog?: string;
}

/** The shape automation arguments are checked against (anything else is refused, never cast). */
export const REPLACE_AUTOMATION_SHAPE = {
  orderNumber: 'string',
  signatureHash: 'string?',
  languageName: 'string?',
  revokeOldOrder: 'boolean?',
  verificationTemplateId: 'number?',
  requestTemplateId: 'number?',
  collectionTemplateId: 'number?',
  allowPredictedRefusal: 'boolean?',
  dialog: 'string?',
} as const;

const isSignatureHash = (value: string): value is SignatureHash => SIGNATURE_HASHES.some((hash) => hash === value);
const isLanguageName = (value: string): value is LanguageName => Object.hasOwn(LANGUAGE_NAMES, value);

/** The automation argument of a replace, each field checked (a hash or language Sectigo does not know is refused). */
export function replaceAutomationOf(args: CommandArguments): ReplaceAutomation | undefined {
  const given = args.automation(REPLACE_AUTOMATION_SHAPE);
  if (!given) return undefined;
  const { signatureHash, languageName, ...rest } = given;
  if (signatureHash !== undefined && !isSignatureHash(signatureHash))
    throw new Error(`signatureHash ${signatureHash} is not one of ${SIGNATURE_HASHES.join(', ')}.`);
  if (languageName !== undefined && !isLanguageName(languageName))
    throw new Error(`languageName ${languageName} is not one of ${Object.keys(LANGUAGE_NAMES).join(', ')}.`);
  return {
    ...rest,
    ...(signatureHash !== undefined && { signatureHash }),
    ...(languageName !== undefined && { languageName }),
  };
}

export const REPLACE_TITLE = (): Text => t('Replace S/MIME certificate');

export type Parameters = Omit<ReplaceAutomation, 'confirm'>;
type TemplateField = 'verificationTemplateId' | 'requestTemplateId' | 'collectionTemplateId';

/** One optional template ID; empty means "not sent". */
function templateStep(field: TemplateField, name: string, purpose: () => Text): Step<Partial<Parameters>> {
  return {
    ask: async (input, state) => {
      const value = state[field];
      const answer = await input.text({
        prompt: t(
          '{0}: {1} (a number; leave empty to not send it; any template ID replaces languageName)',
          outside(name),
          purpose(),
        ),
        placeholder: t('empty: not sent'),
        value: value === undefined ? '' : String(value),
        validate: (text) => problemText(text.trim() === '' ? undefined : validateTemplateId(text.trim())),
      });
      if (answer.trim() === '') delete state[field];
      else state[field] = Number(answer.trim());
    },
  };
}

/** The parameters of AutoReplaceSMIME, one step each, the settings' defaults offered. */
function parameterSteps(orderNote?: string): Step<Partial<Parameters>>[] {
  const hashItems: PickItem<SignatureHash | ''>[] = [
    { label: t('(not sent)'), description: t('Sectigo uses NO_PREFERENCE'), value: '' },
    ...SIGNATURE_HASHES.map((hash) => ({ label: words`${outside(hash)}`, value: hash })),
  ];
  const languageItems: PickItem<LanguageName | ''>[] = [
    { label: t('(not sent)'), description: t('English'), value: '' },
    ...Object.entries(LANGUAGE_NAMES)
      .filter((entry): entry is [LanguageName, string] => isLanguageName(entry[0]))
      .map(([code, name]) => ({ label: words`${outside(code)}`, description: words`${outside(name)}`, value: code })),
  ];
  return [
    {
      ask: async (input, state) => {
        state.orderNumber = await input.text({
          prompt:
            orderNote === undefined
              ? t('The order number of the S/MIME certificate to replace')
              : words`${t('The order number of the S/MIME certificate to replace')}. ${outside(orderNote)}`,
          placeholder: words`1234567`,
          value: state.orderNumber ?? '',
          validate: (value) => problemText(validateOrderNumber(value, 'AutoReplaceSMIME')),
        });
      },
    },
    {
      ask: async (input, state) => {
        const hash = await input.pick<SignatureHash | ''>({
          placeholder: t('signatureHash: the hash algorithm of the new certificate'),
          items: hashItems,
          active: state.signatureHash ?? '',
        });
        if (hash) state.signatureHash = hash;
        else delete state.signatureHash;
      },
    },
    {
      ask: async (input, state) => {
        const language = await input.pick<LanguageName | ''>({
          placeholder: t('languageName: the language of the emails Sectigo sends'),
          items: languageItems,
          active: state.languageName ?? '',
        });
        if (language) state.languageName = language;
        else delete state.languageName;
      },
    },
    templateStep('verificationTemplateId', 'SMIMEVerificationTemplateID', () =>
      t('the template of the verification email'),
    ),
    templateStep('requestTemplateId', 'SMIMERequestTemplateID', () => t('the template of the request email')),
    templateStep('collectionTemplateId', 'SMIMECollectionTemplateID', () => t('the template of the collection email')),
    {
      ask: async (input, state) => {
        state.revokeOldOrder = await input.pick<boolean>({
          placeholder: t('Revoke the certificate of order {0} once it is replaced?', outside(state.orderNumber ?? '')),
          items: [
            {
              label: t('Keep the old certificate'),
              description: t('revokeOldOrder not sent: Sectigo keeps it'),
              value: false,
            },
            {
              label: t('Revoke the old certificate'),
              description: t('revokeOldOrder=Y: cannot be undone'),
              value: true,
            },
          ],
          active: state.revokeOldOrder ?? false,
        });
      },
    },
  ];
}

/** How many parameter steps there are (the CSR's choice, when a file holds several, comes before them). */
export const PARAMETER_STEPS = 7;

export async function askParameters(
  orderNumber: string | undefined,
  csrPicked: boolean,
  orderNote?: string,
): Promise<Parameters | undefined> {
  const defaults = readReplaceDefaults();
  const answers = await runSteps<Partial<Parameters>>(
    REPLACE_TITLE(),
    parameterSteps(orderNote),
    {
      ...(orderNumber !== undefined && { orderNumber }),
      ...(defaults.signatureHash && { signatureHash: defaults.signatureHash }),
      ...(defaults.languageName && { languageName: defaults.languageName }),
      ...(defaults.verificationTemplateId !== undefined && { verificationTemplateId: defaults.verificationTemplateId }),
      ...(defaults.requestTemplateId !== undefined && { requestTemplateId: defaults.requestTemplateId }),
      ...(defaults.collectionTemplateId !== undefined && { collectionTemplateId: defaults.collectionTemplateId }),
    },
    { before: csrPicked ? 1 : 0, after: 0 },
  );
  if (!answers || answers.orderNumber === undefined) return undefined;
  return { ...answers, orderNumber: answers.orderNumber.trim(), revokeOldOrder: answers.revokeOldOrder ?? false };
}
