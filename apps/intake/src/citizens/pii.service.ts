// The cipher and masks are shared with the console (staff mobiles): they live in the platform library.
export { maskName, maskPhone, normalisePhone, PiiCipher } from '@app/platform';
