export { hasOfflineSession } from "../../db/finance";
