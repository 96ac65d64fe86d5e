/**
 * Silences the AWS SDK's Node.js support notice, which the SDK prints as a
 * 9-line process warning the first time any client is created (here: before the
 * output of every AWS command). The notice is about SDK releases published in
 * 2027 and later requiring Node.js 22; lakestep pins its SDK versions exactly, so
 * it never picks up such a release without a deliberate upgrade, and the README
 * states the supported Node.js versions. Set
 * `AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=false` to see it again.
 *
 * @see https://github.com/aws/aws-sdk-js-v3#node-version-support
 */
export const SDK_WARNING_ENV = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

process.env[SDK_WARNING_ENV] ??= 'true';
